/** The software version every process reports (registration records, ApiVersions software name). */
export const VERSION = '0.1.0';
