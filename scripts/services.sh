#!/usr/bin/env bash
# Local services for affnet: PostgreSQL, Redis (machine services, reused or started) and
# Elasticsearch (fetched from Maven Central, run by the user affnet-es).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  up) services_up ;;
  down) services_down ;;
  status) services_status ;;
  *)
    echo "usage: scripts/services.sh {up|down|status}" >&2
    exit 2
    ;;
esac
