FROM node:20
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ["npm", "ci", "--omit=dev"]
CMD ["node", "server.js", "--port=$PORT"]
ENTRYPOINT ["/docker-entrypoint.sh", "say \"hi\"\n", "\u00e9", "C:\\path", "\q"]
CMD [ "a", \
      # a comment inside the continued JSON
      "b" ]
CMD []
VOLUME ["/data", "${LOG_DIR}"]
COPY ["package.json", "package-lock.json", "./"]
RUN [ "$NODE_ENV" = "production" ] && npm prune
CMD ["a"] trailing makes this shell form
ENTRYPOINT exec node server.js
