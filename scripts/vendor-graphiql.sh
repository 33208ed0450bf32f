#!/usr/bin/env bash
# Re-vendors GraphiQL's browser build from the npm registry into the platform's static assets, so
# /graphiql works offline (React and ReactDOM come from webjars on Maven Central, see platform/pom.xml).
# usage: bash scripts/vendor-graphiql.sh [VERSION]   (default: the version vendored now, 3.8.3)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AFFNET_ROOT"
version=${1:-3.8.3}
dest=platform/src/main/resources/static/graphiql-assets
need_cmd npm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$version" >/dev/null && tar -xzf "graphiql-$version.tgz")
# The source maps stay out (6 MB, only for debugging GraphiQL itself); so do the lines that name them.
for f in graphiql.min.js graphiql.min.css; do
  sed '/sourceMappingURL=/d' "$tmp/package/$f" >"$dest/$f"
done
cp "$tmp/package/LICENSE" "$dest/LICENSE-graphiql"
log "graphiql $version vendored into $dest"
