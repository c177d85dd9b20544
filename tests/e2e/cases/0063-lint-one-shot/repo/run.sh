#!/bin/sh
# One-shot: a tool run and removed; judged by the security rules only.
docker run --rm -v "$PWD:/src" --cap-add SYS_ADMIN golang:1.22@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5 go test ./...
# A service: judged by every rule (limits, healthcheck, restart, read-only root too).
docker run -d --name cache --user 999 --cap-drop ALL --security-opt no-new-privileges redis:7@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5
