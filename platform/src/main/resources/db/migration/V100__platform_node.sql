-- Live platform nodes (issue 17): each running platform writes its row every few seconds and deletes it
-- on a graceful stop; the segment balancer divides each pooled processor's segments by the nodes seen
-- within the liveness window. A killed node's row simply ages out.
CREATE TABLE platform_node (
    node_id  VARCHAR(128) PRIMARY KEY,
    seen_at  TIMESTAMPTZ  NOT NULL,
    started_at TIMESTAMPTZ NOT NULL
);
