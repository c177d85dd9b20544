#!/bin/sh
# Deploys the service with the same hardening as compose.yaml.
set -eu

docker run -d --name web \
  --read-only --tmpfs /tmp:size=16m \
  --cap-drop ALL \
  --security-opt no-new-privileges \
  --user 10001:10001 \
  --memory 256m --cpus 0.5 --pids-limit 100 \
  --restart on-failure:5 \
  --health-cmd 'python3 -c "import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:8080/health\")"' \
  -p 127.0.0.1:8080:8080 \
  registry.example.com/web:1.4.2@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5
