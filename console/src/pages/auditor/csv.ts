/**
 * Joins the CSV of several pages of `accessRecords` (RFC 4180, each with
 * its header line, CRLF line ends) into one file: the header once.
 */
export function joinCsvPages(pages: readonly string[]): string {
  return pages
    .map((page, i) => (i === 0 ? page : page.slice(page.indexOf('\r\n') + 2)))
    .join('');
}
