#!/usr/bin/env python3
"""Runs the desk in a pseudo-terminal that answers the cursor-position
request (CSI 6n) as a terminal showing ambiguous-width characters in
ANSWER cells would, then quits it with q; prints what the desk wrote after
the probe, decoded, for the caller to check.

usage: ambiwidth.py ANSWER KPIDESK DB [ARGS...]   (ANSWER 1, 2 or none)
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

answer, prog, db, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8")
    os.execve(prog, [prog, "--db", db] + args, env)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
out = b""
answered = False
quit_sent = None
deadline = time.time() + 10 * float(os.environ.get("SLOW", "1"))
status = None
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if not answered and b"\x1b[6n" in out:
        answered = True
        if answer != "none":
            os.write(fd, b"\x1b[12;%dR" % (1 + int(answer)))
    # The desk is up once the key bar shows; then quit.
    if quit_sent is None and b"quit" in out:
        quit_sent = time.time()
        os.write(fd, b"q")
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
if status is None:
    end = time.time() + 5
    while status is None and time.time() < end:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
        else:
            time.sleep(0.02)
if status is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print("TIMEOUT")
else:
    print("EXIT %d" % os.waitstatus_to_exitcode(status))
probe = out.find(b"\x1b[6n")
print("PROBE" if probe >= 0 else "NOPROBE")
after = out[probe + 4:] if probe >= 0 else out
print("ACS" if b"\x1b(0" in after else "NOACS")
sys.stdout.write(after.decode("utf-8", "replace"))
