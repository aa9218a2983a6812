/**
 * Saves `text` as a file named `name` in the browser (an object URL on a
 * link clicked once): the console's CSV exports.
 */
export function downloadText(
  name: string,
  text: string,
  type = 'text/csv;charset=utf-8',
): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
