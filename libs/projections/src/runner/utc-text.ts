/**
 * A timestamptz column as the ISO-8601 UTC text events carry (milliseconds, `Z`), whatever the
 * session's TimeZone and however the driver would turn it into a Date.
 */
export const utcText = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
