/**
 * A purpose of use (使用目的) declared with each request, e.g.
 * `POLLUTION_TRACING` or `CROWD_SAFETY`. It must be one of the purposes the
 * principal may declare ({@link Principal.purposes}); negative-list conditions,
 * exceptions and grants are all stated per purpose.
 */
export type Purpose = string;
