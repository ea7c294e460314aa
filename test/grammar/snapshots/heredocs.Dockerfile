# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
set -eux
apk add --no-cache curl
echo "home is $HOME"
EOF
RUN <<-EOT
	if [ -n "${DEBUG:-}" ]; then
	  echo debug
	fi
	EOT
RUN <<'EOF'
echo '$NOT_EXPANDED_BY_BUILDKIT'
EOF
RUN python3 <<"PY"
print("hello")
PY
RUN --mount=type=cache,target=/root/.cache <<EOF bash -ex
echo cached
EOF
COPY <<EOF /etc/app/config.ini
[main]
user = ${APP_USER}
EOF
COPY --chmod=755 <<-"SCRIPT" /usr/local/bin/run.sh
	#!/bin/sh
	exec "$@"
	SCRIPT
COPY <<FILE1 <<FILE2 /dest/
first file
fi
FILE1
second file $VAR
FILE2
RUN <<EOF
EOFX is not the terminator
	EOF is not the terminator of a plain heredoc either
EOF
RUN cat <<EOF > /tmp/x && echo $((1<<2))
content
EOF
CMD ["cat", "/etc/app/config.ini"]
