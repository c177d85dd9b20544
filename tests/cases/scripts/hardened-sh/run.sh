#!/usr/bin/env bash
# A fully hardened service: no container rule fires.
set -euo pipefail

docker run -d --name api \
  --read-only --tmpfs /tmp:rw,size=16m \
  --cap-drop ALL --cap-add NET_BIND_SERVICE \
  --security-opt no-new-privileges:true \
  --user 10001:10001 \
  --memory 256m --memory-swap 256m --cpus 0.5 --pids-limit 100 \
  --restart on-failure:5 \
  --health-cmd 'wget -q -O- http://localhost:8080/health || exit 1' --health-interval 30s \
  --log-driver journald \
  --network backend \
  -p 127.0.0.1:8080:8080 \
  -v /srv/api/config:/config:ro \
  -e DB_PASSWORD_FILE=/run/secrets/db_password \
  registry.example.com/team/api:2.3.1@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
