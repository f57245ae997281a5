FROM node:20
ONBUILD COPY package*.json ./
ONBUILD RUN npm ci && npm cache clean --force
ONBUILD RUN ["npm", "test"]
ONBUILD RUN --mount=type=cache,target=/root/.npm <<EOF
npm run build
EOF
ONBUILD ONBUILD RUN echo nested
ONBUILD FROM alpine
ONBUILD MAINTAINER someone
onbuild run echo lower case
ONBUILD
ONBUILD FOO bar
