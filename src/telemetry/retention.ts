/**
 * Six months, in days, as a retention that keeps every record at least six calendar months whatever
 * day it was written: the longest six consecutive months (July to December) have 184 days. The EU AI
 * Act asks providers and deployers to keep logs that long (Art. 19(1), Art. 26(6)); the report checks
 * a configured retention against this same number.
 */
export const SIX_MONTHS_DAYS = 184

/** The default retention: six months. */
export const DEFAULT_RETENTION_DAYS = SIX_MONTHS_DAYS
