/** Six months: what the EU AI Act asks deployers to keep logs for (Art. 26(6)). */
export const DEFAULT_RETENTION_DAYS = 180
