#!/usr/bin/env python3
"""Holds a write transaction open on a kpidesk database, with one event
inserted and not yet committed, until STOP_FILE appears (at most 60 s);
then commits. The backup scenario (backup.t) takes a backup meanwhile.

Usage: hold_write.py DB READY_FILE STOP_FILE
"""
import os
import sqlite3
import sys
import time

db, ready, stop = sys.argv[1:4]
con = sqlite3.connect(db, isolation_level=None, timeout=10)
con.execute("BEGIN IMMEDIATE")
con.execute(
    "INSERT INTO events (agent_id, date, category, quantity, created_at, "
    "actor) VALUES (1, '2026-10-05', 'praise', 1, '2026-10-05 10:00:00', "
    "'hold_write.py')"
)
open(ready, "w").close()
deadline = time.time() + 60
while not os.path.exists(stop) and time.time() < deadline:
    time.sleep(0.02)
con.execute("COMMIT")
con.close()
