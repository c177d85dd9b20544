#!/usr/bin/env python3
"""Builds a fixture root for the host and daemon audits in a temporary
directory: copies tests/fixtures/NAME, then applies NAME.manifest (modes,
owners, sockets, symlinks, gzip files, TLS material from `hardock tls init`).
git keeps neither modes nor owners, so they are set here, at run time.

usage: mkroot.py FIXTURES_DIR NAME DEST HARDOCK
"""
import gzip
import os
import shutil
import socket
import subprocess
import sys

fixtures, name, dest, hardock = sys.argv[1:5]
src = os.path.join(fixtures, name)
if os.path.exists(dest):
    shutil.rmtree(dest)
shutil.copytree(src, dest, symlinks=True)
for d, dirs, files in os.walk(dest):
    os.chown(d, 0, 0)
    os.chmod(d, 0o755)
    for f in files:
        p = os.path.join(d, f)
        if not os.path.islink(p):
            os.chown(p, 0, 0)
            os.chmod(p, 0o644)


def host(p):
    return os.path.join(dest, p.lstrip("/"))


def owner(p, args, i):
    if len(args) > i + 1:
        os.lchown(p, int(args[i]), int(args[i + 1]))


with open(os.path.join(fixtures, name + ".manifest")) as fh:
    for line in fh:
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        kind, path = w[0], host(w[1])
        if kind == "mode":
            os.chmod(path, int(w[2], 8))
            owner(path, w, 3)
        elif kind == "dir":
            os.makedirs(path, exist_ok=True)
            os.chmod(path, int(w[2], 8))
            owner(path, w, 3)
        elif kind == "sock":
            os.makedirs(os.path.dirname(path), exist_ok=True)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.close()
            os.chmod(path, int(w[2], 8))
            owner(path, w, 3)
        elif kind == "link":
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.lexists(path):
                os.unlink(path)
            os.symlink(w[2], path)
        elif kind == "gz":
            with open(path[:-3], "rb") as i, gzip.open(path, "wb") as o:
                o.write(i.read())
            os.unlink(path[:-3])
            os.chmod(path, 0o644)
        elif kind == "tls":
            out = dest + ".tls"
            if os.path.exists(out):
                shutil.rmtree(out)
            cmd = [hardock, "tls", "init", "--host", w[2], "--out", out, "--key", "p256"]
            for ip in w[3:]:
                cmd += ["--ip", ip]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            os.makedirs(path, exist_ok=True)
            for f in ("ca.pem", "server-cert.pem", "server-key.pem"):
                shutil.copy(os.path.join(out, "server", f), os.path.join(path, f))
                os.chown(os.path.join(path, f), 0, 0)
                os.chmod(os.path.join(path, f), 0o400 if f.endswith("key.pem") else 0o444)
        elif kind == "file":
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as o:
                o.write(" ".join(w[3:]).replace("\\n", "\n"))
            os.chmod(path, int(w[2], 8))
        else:
            sys.exit("unknown manifest line: " + line)
