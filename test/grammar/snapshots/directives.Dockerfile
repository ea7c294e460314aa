# syntax=docker/dockerfile:1.7-labs
#escape=\
# CHECK = skip=JSONArgsRecommended,StageNameCasing;error=true
# an ordinary comment ends the directive block
# syntax=this/is/only/a/comment

  # indented comment
FROM alpine:3.20
# comment between instructions
RUN echo "# not a comment, part of the shell text"
