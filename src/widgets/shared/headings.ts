/**
 * A widget's headings fit the outline of the page that embeds it: its title at the level the page
 * asks for (`headingLevel`), its own sections one level below.
 */
export type HeadingLevel = 2 | 3 | 4;
type HeadingTag = 'h2' | 'h3' | 'h4' | 'h5';

export interface HeadingProps {
  /** Heading level of the widget's title, to fit the page outline. */
  headingLevel?: HeadingLevel;
}

export function headingTags(level: HeadingLevel): { Heading: HeadingTag; Sub: HeadingTag } {
  return { Heading: `h${level}`, Sub: `h${(level + 1) as 3 | 4 | 5}` };
}
