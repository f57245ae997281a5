# syntax=docker/dockerfile:1
FROM debian
RUN <<EOF
apt-get update
apt-get install -y curl
EOF
RUN <<-EOT
	echo tabs are stripped
		echo from every line
	EOT
RUN <<"EOF"
echo "$HOME is not expanded by the build"
EOF
RUN <<'EOF' bash
set -e
echo quoted with single quotes
EOF
RUN python3 <<EOF
print("hello from python")
EOF
RUN cat <<EOF > /etc/app.conf
key=value
EOF
RUN <<A cat - <<B > /out
first
A
second
B
COPY <<EOF /usr/local/bin/hello
#!/bin/sh
echo hello
EOF
COPY <<ONE <<TWO /etc/
one
ONE
two
TWO
ADD <<EOF /x
x
EOF
RUN --mount=type=cache,target=/root/.cache <<EOF
pip install requests
EOF
RUN <<EOF
#!/usr/bin/env python3
print("shebang script")
EOF
RUN <<EOF
EOF
RUN echo done
