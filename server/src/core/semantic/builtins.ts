/** Build arguments the builder defines itself, and the proxy arguments it passes through. */

/** Platform ARGs: set automatically in the global scope, and in a stage once declared with ARG. */
export const PLATFORM_ARGS: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'platform of the build result, e.g. linux/amd64',
  TARGETOS: 'OS component of TARGETPLATFORM',
  TARGETARCH: 'architecture component of TARGETPLATFORM',
  TARGETVARIANT: 'variant component of TARGETPLATFORM',
  BUILDPLATFORM: 'platform of the node performing the build',
  BUILDOS: 'OS component of BUILDPLATFORM',
  BUILDARCH: 'architecture component of BUILDPLATFORM',
  BUILDVARIANT: 'variant component of BUILDPLATFORM',
};

/** ARGs that configure BuildKit itself. */
export const BUILDKIT_ARGS: Readonly<Record<string, string>> = {
  BUILDKIT_CACHE_MOUNT_NS: 'namespace for cache mounts',
  BUILDKIT_CONTEXT_KEEP_GIT_DIR: 'keep the .git directory of a Git context',
  BUILDKIT_HISTORY_PROVENANCE_V1: 'enable SLSA provenance v1 in build history',
  BUILDKIT_INLINE_CACHE: 'write cache metadata into the image config',
  BUILDKIT_MULTI_PLATFORM: 'produce a multi-platform result even for one platform',
  BUILDKIT_SANDBOX_HOSTNAME: 'hostname used in RUN containers',
  BUILDKIT_SBOM_SCAN_CONTEXT: 'scan the build context for the SBOM',
  BUILDKIT_SBOM_SCAN_STAGE: 'scan this stage for the SBOM',
  BUILDKIT_SYNTAX: 'the frontend image to use',
  SOURCE_DATE_EPOCH: 'timestamp for reproducible builds',
};

/** Proxy ARGs usable in RUN without being declared. */
export const PROXY_ARGS: readonly string[] = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

export function isPredefinedArg(name: string): boolean {
  return name in PLATFORM_ARGS || name in BUILDKIT_ARGS || PROXY_ARGS.includes(name);
}
