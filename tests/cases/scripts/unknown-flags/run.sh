#!/bin/sh
docker run --readonly --memory lots -p 99999:80 --restart sometimes \
  --security-opt bogus -v /a:/b:bogus nginx:1.27
