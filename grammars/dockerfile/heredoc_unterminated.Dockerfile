FROM alpine
RUN echo before
RUN cat <<EOF > /f
line one
RUN this is still body
EOF2
