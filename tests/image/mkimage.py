#!/usr/bin/python3
"""Writes crafted container images for the image tests.

    mkimage.py SPEC OUT

SPEC is a text file, one directive a line (shell-like quoting, # comments):

  layout docker-save|docker25|oci|oci-tar   archive layout (default docker-save)
  image [ref=NAME] [platform=OS/ARCH[/VAR]] starts another image (multi-image
                                            archives, multi-platform indexes)
  tag NAME                                  a RepoTag of the current image
  config KEY=VALUE                          user, healthcheck (a command or NONE),
                                            env, expose, volume, label, created,
                                            os, architecture, variant
  history "CREATED_BY" [empty]              a history step without a layer
  layer [tar|gzip|zstd] [CREATED_BY]        starts a layer (and its history step)
  file PATH [mode=0644] [uid=] [gid=] [content=TEXT] [size=N] [xattr.NAME=HEX]
                                            [from=HOSTFILE: the content of a file]
  dir PATH [mode=0755]
  symlink PATH TARGET
  hardlink PATH TARGET
  char|block PATH MAJOR MINOR
  fifo PATH
  whiteout PATH                             .wh. entry deleting PATH
  opaque DIR                                .wh..wh..opq in DIR
  raw NAME [content=TEXT]                   a tar entry named exactly NAME
  rawsize NAME SIZE                         a regular entry whose header claims SIZE
  noend                                     the layer has no end-of-archive blocks

Mutations, for the bad-input tests (N is a 1-based layer of the current image):
  corrupt-layer N          flip bytes in the middle of the stored layer
  truncate-layer N BYTES   cut the stored layer to BYTES
  drop-blob N              leave layer N out of the archive
  wrong-digest N           the manifest names another digest for layer N (OCI)
  wrong-diffid N           rootfs.diff_ids[N] is another digest
  truncate-archive BYTES   cut the archive itself
  append-garbage N         bytes after the end of the gzip stream of layer N
  manifest-last            in a docker save, write manifest.json and configs first
                           (default: last, as docker does) -- with this, first

The rule examples of the catalogue use a listing form of the same spec:

  layer: CREATED_BY                         starts a gzip layer
  -rwsr-xr-x 0 0 /usr/bin/tool: CONTENT     a file: ls -l mode, uid, gid, path,
                                            then ": " and its content (\\n escapes)
  drwxr-xr-x 0 0 /data                      a folder
  lrwxrwxrwx 0 0 /bin -> usr/bin            a symlink
  h--------- 0 0 /a -> b                    a hard link
  brw-rw---- 0 6 /dev/sda 8,0               a device
  -rwxr-xr-x 0 0 /bin/ping [caps=cap_net_raw+ep]: ELF   file capabilities

Everything is written deterministically (fixed mtimes, sorted entries).
"""

import gzip
import hashlib
import io
import json
import os
import shlex
import subprocess
import sys
import tarfile

MTIME = 1700000000


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


class Layer:
    def __init__(self, comp, created_by):
        self.comp = comp
        self.created_by = created_by
        self.entries = []  # (TarInfo, bytes or None)
        self.noend = False

    def tar(self):
        buf = io.BytesIO()
        tf = tarfile.TarFile(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT)
        for ti, data in self.entries:
            tf.addfile(ti, io.BytesIO(data) if data is not None else None)
        tf.close()
        raw = buf.getvalue()
        if self.noend:
            # Drop the two zero blocks and the record padding.
            end = len(raw)
            while end >= 512 and raw[end - 512:end] == b"\0" * 512:
                end -= 512
            raw = raw[:end]
        return raw

    def stored(self, raw):
        if self.comp == "gzip":
            out = io.BytesIO()
            with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
                g.write(raw)
            return out.getvalue()
        if self.comp == "zstd":
            return subprocess.run(["zstd", "-q", "-c", "-3"], input=raw, stdout=subprocess.PIPE,
                                  check=True).stdout
        return raw


class Image:
    def __init__(self, ref=None, platform=None):
        self.ref = ref
        self.platform = platform
        self.tags = []
        self.config = {}
        self.env = []
        self.expose = []
        self.volumes = []
        self.labels = {}
        self.history = []  # (created_by, empty)
        self.layers = []
        self.mut = {}


def tarinfo(name, kind=tarfile.REGTYPE, mode=0o644, uid=0, gid=0, size=0):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.mode = mode
    ti.uid = uid
    ti.gid = gid
    ti.size = size
    ti.mtime = MTIME
    ti.uname = ti.gname = ""
    return ti


CAPS = ["chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
        "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
        "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
        "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod"]


def caps_xattr(text):
    """'cap_net_raw,cap_net_admin+ep' as a version 2 vfs_cap_data."""
    names, flags = text.rsplit("+", 1) if "+" in text else (text.rsplit("=", 1) + [""])[:2]
    bits = 0
    for n in names.split(","):
        bits |= 1 << CAPS.index(n.strip()[4:] if n.strip().startswith("cap_") else n.strip())
    perm = bits if "p" in flags else 0
    inh = bits if "i" in flags else 0
    magic = 0x02000000 | (1 if "e" in flags else 0)
    import struct
    return struct.pack("<IIIII", magic, perm & 0xffffffff, inh & 0xffffffff, perm >> 32, inh >> 32)


def mode_bits(m):
    """'-rwsr-xr-x' -> (type letter, permission bits)."""
    bits = 0
    for i, (c, want) in enumerate(zip(m[1:10], "rwxrwxrwx")):
        if c == want or c in "sStT" and i in (2, 5, 8):
            if c in "rwxst":
                bits |= 1 << (8 - i)
        if c in "sS" and i == 2:
            bits |= 0o4000
        if c in "sS" and i == 5:
            bits |= 0o2000
        if c in "tT" and i == 8:
            bits |= 0o1000
    return m[0], bits


def listing_line(layer, text):
    """One ls -l-like line of a rule example."""
    import re
    m = re.match(r"^([-dlhcbp][-rwxsStT]{9})\s+(\d+)\s+(\d+)\s+(\S+)(.*)$", text)
    if not m:
        return False
    kind, bits = mode_bits(m.group(1))
    uid, gid, path, rest = int(m.group(2)), int(m.group(3)), m.group(4).lstrip("/"), m.group(5)
    if path.endswith(":"):
        path, rest = path[:-1], ":" + rest
    caps = None
    cm = re.match(r"^\s*\[caps=([^\]]+)\](.*)$", rest)
    if cm:
        caps, rest = caps_xattr(cm.group(1)), cm.group(2)
    rest = rest.strip()
    if kind == "-":
        data = rest[1:].strip() if rest.startswith(":") else ""
        data = data.encode().decode("unicode_escape").encode("latin-1")
        ti = tarinfo(path, mode=bits, uid=uid, gid=gid, size=len(data))
        if caps:
            ti.pax_headers["SCHILY.xattr.security.capability"] = caps.decode("latin-1")
        layer.entries.append((ti, data))
    elif kind == "d":
        layer.entries.append((tarinfo(path, tarfile.DIRTYPE, bits, uid, gid), None))
    elif kind in "lh":
        ti = tarinfo(path, tarfile.SYMTYPE if kind == "l" else tarfile.LNKTYPE, bits, uid, gid)
        ti.linkname = rest[2:].strip() if rest.startswith("->") else ""
        layer.entries.append((ti, None))
    elif kind in "cb":
        ti = tarinfo(path, tarfile.CHRTYPE if kind == "c" else tarfile.BLKTYPE, bits, uid, gid)
        ti.devmajor, ti.devminor = (int(x) for x in rest.split(","))
        layer.entries.append((ti, None))
    elif kind == "p":
        layer.entries.append((tarinfo(path, tarfile.FIFOTYPE, bits, uid, gid), None))
    return True


def parse(path):
    layout = "docker-save"
    images = [Image()]
    opts = set()
    mut_archive = {}
    for lineno, text in enumerate(open(path, encoding="utf-8"), 1):
        text = text.rstrip("\n")
        if text.startswith("layer: "):
            created = text[7:]
            images[-1].layers.append(Layer("gzip", created))
            images[-1].history.append((created, False))
            continue
        if images[-1].layers and listing_line(images[-1].layers[-1], text):
            continue
        words = shlex.split(text, comments=True)
        if not words:
            continue
        cmd, args = words[0], words[1:]
        img = images[-1]
        kv = dict(a.split("=", 1) for a in args if "=" in a)
        try:
            if cmd == "layout":
                layout = args[0]
            elif cmd == "image":
                if img.layers or img.tags or img.config:
                    images.append(Image())
                    img = images[-1]
                img.ref = kv.get("ref")
                img.platform = kv.get("platform")
            elif cmd == "tag":
                img.tags.append(args[0])
            elif cmd == "config":
                for k, v in kv.items():
                    if k == "env":
                        img.env.append(v)
                    elif k == "expose":
                        img.expose.append(v)
                    elif k == "volume":
                        img.volumes.append(v)
                    elif k == "label":
                        a, b = v.split("=", 1)
                        img.labels[a] = b
                    else:
                        img.config[k] = v
            elif cmd == "history":
                img.history.append((args[0], len(args) > 1 and args[1] == "empty"))
            elif cmd == "layer":
                comp = args[0] if args and args[0] in ("tar", "gzip", "zstd") else "gzip"
                rest = args[1:] if args and args[0] in ("tar", "gzip", "zstd") else args
                created = rest[0] if rest else "layer %d" % (len(img.layers) + 1)
                img.layers.append(Layer(comp, created))
                img.history.append((created, False))
            elif cmd in ("file", "dir", "symlink", "hardlink", "char", "block", "fifo", "whiteout", "opaque",
                         "raw", "rawsize", "noend"):
                layer = img.layers[-1]
                p = args[0].lstrip("/") if args else ""
                if cmd == "file":
                    data = kv.get("content", "").encode().decode("unicode_escape").encode("latin-1")
                    if "size" in kv:
                        data = b"\0" * int(kv["size"])
                    if "hex" in kv:
                        data = bytes.fromhex(kv["hex"])
                    if "from" in kv:
                        with open(kv["from"], "rb") as hf:
                            data = hf.read()
                    ti = tarinfo(p, mode=int(kv.get("mode", "644"), 8), uid=int(kv.get("uid", 0)),
                                 gid=int(kv.get("gid", 0)), size=len(data))
                    for k, v in kv.items():
                        if k.startswith("xattr."):
                            ti.pax_headers["SCHILY.xattr." + k[6:]] = bytes.fromhex(v).decode("latin-1")
                    layer.entries.append((ti, data))
                elif cmd == "dir":
                    layer.entries.append((tarinfo(p, tarfile.DIRTYPE, int(kv.get("mode", "755"), 8)), None))
                elif cmd in ("symlink", "hardlink"):
                    ti = tarinfo(p, tarfile.SYMTYPE if cmd == "symlink" else tarfile.LNKTYPE, 0o777)
                    ti.linkname = args[1].lstrip("/") if cmd == "hardlink" else args[1]
                    layer.entries.append((ti, None))
                elif cmd in ("char", "block"):
                    ti = tarinfo(p, tarfile.CHRTYPE if cmd == "char" else tarfile.BLKTYPE, 0o666)
                    ti.devmajor, ti.devminor = int(args[1]), int(args[2])
                    layer.entries.append((ti, None))
                elif cmd == "fifo":
                    layer.entries.append((tarinfo(p, tarfile.FIFOTYPE), None))
                elif cmd == "whiteout":
                    d, b = os.path.split(p)
                    layer.entries.append((tarinfo(os.path.join(d, ".wh." + b)), b""))
                elif cmd == "opaque":
                    layer.entries.append((tarinfo(os.path.join(p, ".wh..wh..opq")), b""))
                elif cmd == "raw":
                    data = kv.get("content", "x").encode()
                    layer.entries.append((tarinfo(args[0], size=len(data)), data))
                elif cmd == "rawsize":
                    layer.entries.append(("RAWSIZE", (args[0], int(args[1]))))
                elif cmd == "noend":
                    layer.noend = True
            elif cmd in ("corrupt-layer", "truncate-layer", "drop-blob", "wrong-digest", "wrong-diffid",
                         "append-garbage"):
                img.mut[cmd] = (int(args[0]), int(args[1]) if len(args) > 1 else 0)
            elif cmd == "truncate-archive":
                mut_archive["truncate"] = int(args[0])
            elif cmd == "manifest-first":
                opts.add("manifest-first")
            else:
                raise ValueError("unknown directive")
        except (IndexError, ValueError) as e:
            sys.exit("%s:%d: %s: %s" % (path, lineno, cmd, e))
    return layout, images, opts, mut_archive


def raw_header(name, size):
    """A ustar header whose size field claims `size` (base-256 beyond octal)."""
    h = bytearray(512)
    n = name.encode()[:100]
    h[0:len(n)] = n
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    if size < 8 ** 11:
        h[124:136] = ("%011o\0" % size).encode()
    else:
        h[124] = 0x80
        h[128:136] = size.to_bytes(8, "big")
    h[136:148] = ("%011o\0" % MTIME).encode()
    h[148:156] = b" " * 8
    h[156] = ord("0")
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    chk = sum(h)
    h[148:156] = ("%06o\0 " % chk).encode()
    return bytes(h)


def layer_bytes(layer):
    if any(e[0] == "RAWSIZE" for e in layer.entries):
        # Hand-made: the other entries, then the lying header and a little data.
        normal = Layer(layer.comp, layer.created_by)
        normal.entries = [e for e in layer.entries if e[0] != "RAWSIZE"]
        normal.noend = True
        raw = normal.tar()
        for e in layer.entries:
            if e[0] == "RAWSIZE":
                raw += raw_header(e[1][0], e[1][1]) + b"y" * 512
        return raw
    return layer.tar()


def build_image(img):
    """The image's blobs: (config bytes, [(diff_id, stored bytes)])."""
    layers = []
    for i, layer in enumerate(img.layers, 1):
        raw = layer_bytes(layer)
        stored = layer.stored(raw)
        if img.mut.get("append-garbage", (0,))[0] == i:
            stored += b"garbage!"
        diff = sha(raw)
        if img.mut.get("wrong-diffid", (0,))[0] == i:
            diff = sha(b"something else")
        if img.mut.get("corrupt-layer", (0,))[0] == i:
            b = bytearray(stored)
            mid = len(b) // 2
            for k in range(mid, min(mid + 64, len(b))):
                b[k] ^= 0x5A
            stored = bytes(b)
        if img.mut.get("truncate-layer", (0,))[0] == i:
            stored = stored[:img.mut["truncate-layer"][1]]
        layers.append((diff, stored))
    plat = (img.platform or "linux/amd64").split("/")
    cfg = {
        "architecture": img.config.get("architecture", plat[1]),
        "os": img.config.get("os", plat[0]),
        "created": img.config.get("created", "2024-12-01T10:00:00Z"),
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [d for d, _ in layers]},
        "history": [],
    }
    if len(plat) > 2:
        cfg["variant"] = plat[2]
    c = cfg["config"]
    if "user" in img.config:
        c["User"] = img.config["user"]
    if img.env:
        c["Env"] = img.env
    if img.expose:
        c["ExposedPorts"] = {p if "/" in p else p + "/tcp": {} for p in img.expose}
    if img.volumes:
        c["Volumes"] = {v: {} for v in img.volumes}
    if img.labels:
        c["Labels"] = img.labels
    if "healthcheck" in img.config:
        hc = img.config["healthcheck"]
        c["Healthcheck"] = {"Test": ["NONE"] if hc == "NONE" else ["CMD-SHELL", hc]}
    for created_by, empty in img.history:
        h = {"created": cfg["created"], "created_by": created_by}
        if empty:
            h["empty_layer"] = True
        cfg["history"].append(h)
    return json.dumps(cfg, sort_keys=True).encode(), layers


def add(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = MTIME
    tf.addfile(ti, io.BytesIO(data))


def media(comp):
    return {"tar": "application/vnd.oci.image.layer.v1.tar",
            "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
            "zstd": "application/vnd.oci.image.layer.v1.tar+zstd"}[comp]


def oci_blobs(images, blobs):
    """Manifests (and an index per multi-platform group) into blobs; index.json entries."""
    entries = []
    groups = {}
    for img in images:
        cfg, layers = build_image(img)
        blobs[sha(cfg)] = cfg
        descs = []
        for i, ((diff, stored), layer) in enumerate(zip(layers, img.layers), 1):
            digest = sha(stored)
            if img.mut.get("drop-blob", (0,))[0] != i:
                blobs[digest] = stored
            if img.mut.get("wrong-digest", (0,))[0] == i:
                digest = sha(b"not this layer")
            descs.append({"mediaType": media(layer.comp), "digest": digest, "size": len(stored)})
        man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                          "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                     "digest": sha(cfg), "size": len(cfg)},
                          "layers": descs}, sort_keys=True).encode()
        blobs[sha(man)] = man
        desc = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(man),
                "size": len(man)}
        if img.platform:
            p = img.platform.split("/")
            desc["platform"] = {"os": p[0], "architecture": p[1]}
            if len(p) > 2:
                desc["platform"]["variant"] = p[2]
        groups.setdefault(img.ref or (img.tags[0] if img.tags else None), []).append((desc, img, cfg, layers))
    for ref, members in groups.items():
        if len(members) == 1 and not members[0][1].platform:
            desc = dict(members[0][0])
        else:
            idx = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                              "manifests": [m[0] for m in members]}, sort_keys=True).encode()
            blobs[sha(idx)] = idx
            desc = {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": sha(idx),
                    "size": len(idx)}
        if ref:
            desc["annotations"] = {"org.opencontainers.image.ref.name": ref}
        entries.append((desc, members))
    return entries


def write(layout, images, opts, mut_archive, out):
    files = []  # (name, bytes) in archive order
    if layout == "docker-save":
        manifest, meta = [], []
        for img in images:
            cfg, layers = build_image(img)
            names = []
            for i, (diff, stored) in enumerate(layers, 1):
                lid = hashlib.sha256((diff + str(i)).encode()).hexdigest()
                names.append(lid + "/layer.tar")
                if img.mut.get("drop-blob", (0,))[0] != i:
                    files.append((lid + "/VERSION", b"1.0"))
                    files.append((lid + "/json", json.dumps({"id": lid}).encode()))
                    files.append((lid + "/layer.tar", stored))
            cname = sha(cfg)[7:] + ".json"
            meta.append((cname, cfg))
            manifest.append({"Config": cname, "RepoTags": img.tags or None, "Layers": names})
        meta.append(("manifest.json", json.dumps(manifest).encode()))
        files = meta + files if "manifest-first" in opts else files + meta
    elif layout in ("docker25", "oci", "oci-tar"):
        blobs = {}
        entries = oci_blobs(images, blobs)
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [e[0] for e in entries]}
        for d in sorted(blobs):
            files.append(("blobs/sha256/" + d[7:], blobs[d]))
        files.append(("index.json", json.dumps(index).encode()))
        if layout == "docker25":
            manifest = []
            for desc, members in entries:
                for mdesc, img, cfg, layers in members:
                    lnames = []
                    for i, (diff, stored) in enumerate(layers, 1):
                        lnames.append("blobs/sha256/" + sha(stored)[7:])
                    manifest.append({"Config": "blobs/sha256/" + sha(cfg)[7:], "RepoTags": img.tags or None,
                                     "Layers": lnames})
            files.append(("manifest.json", json.dumps(manifest).encode()))
        files.append(("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'))
    else:
        sys.exit("unknown layout " + layout)
    if layout == "oci":
        for name, data in files:
            path = os.path.join(out, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        return
    buf = io.BytesIO()
    with tarfile.TarFile(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        dirs = set()
        for name, data in files:
            d = os.path.dirname(name)
            if d and d not in dirs:
                dirs.add(d)
                ti = tarfile.TarInfo(d)
                ti.type = tarfile.DIRTYPE
                ti.mode = 0o755
                ti.mtime = MTIME
                tf.addfile(ti)
            add(tf, name, data)
    data = buf.getvalue()
    if "truncate" in mut_archive:
        data = data[:mut_archive["truncate"]]
    with open(out, "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    write(*parse(sys.argv[1]), sys.argv[2])


if __name__ == "__main__":
    main()
