#!/bin/sh
echo "Hello from busybox-demo, built by Dockwright on $(uname -m)"
echo "$(wc -l < /app/data/words.txt) words in /app/data/words.txt"
