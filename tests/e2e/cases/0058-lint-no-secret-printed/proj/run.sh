#!/bin/sh
docker run -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG -e MODE=dev alpine:3.20
