
# syntax=docker/dockerfile:1
# a blank first line means no parser directives at all
FROM busybox
