FROM alpine
RUN apk add \
    curl \
    # comment

    git
RUN <<EOF
echo crlf heredoc
EOF
ENV A=1 B="two words"
CMD ["sh"]
