FROM alpine
RUN echo "a<<b" 'c<<d'
RUN cat <<< "here string"
RUN cat << EOF
RUN echo a<<b
RUN ["cat", "<<EOF"]
ENV X=<<EOF
CMD cat <<EOF
LABEL a=b
