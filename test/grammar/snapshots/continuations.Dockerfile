FROM ubuntu:24.04
Run apt-get update \
    # comments inside a continued instruction are dropped by the builder
    && apt-get install -y \
        ca-certificates \
        curl \

    && rm -rf /var/lib/apt/lists/*
RUN echo one \   
    two
ENV GREETING="hello \
    world" \
    NEXT=value
LABEL org.opencontainers.image.title="demo" \
      org.opencontainers.image.description='a "quoted" description' \
      "com.example.quoted-key"="yes" \
      version=1.0
run echo lower-case keyword
cmd echo done
XYZ=not-an-instruction
