// The controls above a filtered list: each labelled for screen readers,
// with a test id, sized by the `filter` class (full width on a phone).
import { Input, Select } from 'antd';

import type { FilterOption } from './filterOptions.js';

/** A select of one criterion; '' is "all" (see filterOptions). */
export function FilterSelect({
  label,
  testid,
  value,
  options,
  onChange,
}: {
  /** The criterion's name (`aria-label`). */
  label: string;
  testid: string;
  value: string;
  options: readonly FilterOption[];
  onChange: (value: string) => void;
}) {
  return (
    <Select
      aria-label={label}
      data-testid={testid}
      className="filter"
      value={value}
      options={[...options]}
      onChange={onChange}
    />
  );
}

/** A text criterion; Enter applies the filter. */
export function FilterInput({
  label,
  placeholder,
  testid,
  value,
  onChange,
  onEnter,
}: {
  /** The criterion's name (`aria-label`). */
  label: string;
  placeholder: string;
  testid: string;
  value: string;
  onChange: (value: string) => void;
  onEnter: () => void;
}) {
  return (
    <Input
      className="filter"
      placeholder={placeholder}
      aria-label={label}
      data-testid={testid}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onPressEnter={onEnter}
    />
  );
}
