ARG BASE=alpine VERSION
FROM ${BASE}:${VERSION:-latest}
ARG HOME_DIR="/home/app"
ENV HOME=/root PATH=$HOME/bin:${PATH} EMPTY=
ENV DEFAULT=${UNSET:-fallback} ALT=${SET:+replacement} REQUIRED=${NEEDED:?must be set}
ENV UNSET_ONLY=${A-x} SET_ONLY=${A+y}
ENV PREFIX=${FILE#*.} LONG_PREFIX=${FILE##*/} SUFFIX=${FILE%.*} LONG_SUFFIX=${FILE%%/*}
ENV REPLACE=${PATH/:/;} REPLACE_ALL=${PATH//:/ }
ENV NESTED=${OUTER:-${INNER:-deep}} LITERAL=\$NOT_A_VAR SPACED=hello\ world
ENV LEGACY_FORM value with $HOME and spaces
ENV SINGLE='no $EXPANSION here' DOUBLE="expands $HOME too"
LABEL version="${VERSION}" maintainer=$MAINTAINER
WORKDIR ${HOME_DIR}/src
USER $USER_NAME
VOLUME $DATA_DIR /logs
EXPOSE $PORT
STOPSIGNAL $SIGNAL
RUN echo "$HOME ${USER:-nobody}" > /tmp/out
ADD ${SRC_URL} /tmp/src
