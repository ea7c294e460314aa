#!/bin/sh
echo "Hello from busybox-demo, built by Dockwright on $(uname -m)"
