/** The calendar date (YYYY-MM-DD) in Việt Nam at an instant: the day every date the platform checks belongs to. */
export function vnToday(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
