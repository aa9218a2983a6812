/** China Standard Time is UTC+8 all year (no daylight saving). */
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Working days an owner department has to answer a request for
 * conditionally shared data: 10, after 《政务信息资源共享管理暂行办法》
 * (国发〔2016〕51号), which has the provider answer a request for
 * 有条件共享 data within 10 working days.
 */
export const SHARE_REQUEST_WORKING_DAYS = 10;

/**
 * The instant a request made at `requestedAt` is due: the end (midnight,
 * China Standard Time) of the `workingDays`-th working day after the day
 * it was made. Working days are Monday to Friday in China Standard Time;
 * public holidays and the weekend days worked in their stead are not
 * modelled, so the due date is never later than the official one by more
 * than the holidays in between.
 */
export function dueDate(
  requestedAt: Date,
  workingDays: number = SHARE_REQUEST_WORKING_DAYS,
): Date {
  if (!Number.isInteger(workingDays) || workingDays < 1) {
    throw new RangeError(`workingDays must be a positive integer`);
  }
  // Days counted in CST: shift into UTC+8, work on whole days, shift back.
  let day = Math.floor((requestedAt.getTime() + CST_OFFSET_MS) / DAY_MS);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    // Day 0 (1970-01-01) was a Thursday: 0 Thu, 1 Fri, 2 Sat, 3 Sun.
    const weekday = (((day + 4) % 7) + 7) % 7; // 0 Sunday … 6 Saturday
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date((day + 1) * DAY_MS - CST_OFFSET_MS);
}
