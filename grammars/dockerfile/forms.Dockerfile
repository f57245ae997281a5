FROM alpine
RUN ["echo", "exec form"]
RUN [ "sh", "-c", "echo $HOME && ls" ]
RUN ["/bin/echo", \
     "continued"]
RUN ["echo", "escapes \"q\" \\ \u00e9"]
RUN ["nginx", "-g", ]
RUN ['single', 'quotes']
RUN [1, 2]
RUN [not json] && echo shell
CMD echo shell form
CMD []
ENTRYPOINT ["tini", "--"]
ENTRYPOINT exec nginx -g 'daemon off;'
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
SHELL /bin/bash -c
SHELL []
VOLUME /var/lib/data /var/log
VOLUME ["/a", 1]
COPY ["a b.txt", "/dest dir/"]
