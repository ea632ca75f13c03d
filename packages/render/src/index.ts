/**
 * @hybridnet/render: Handlebars, safely, for every generator that prints text. Every template is
 * compiled strict (a missing field throws instead of printing nothing), without HTML escaping
 * (it corrupts scripts) and with only the helpers below, each named for the language it escapes
 * for. No knowledge of networks lives here.
 */
import Handlebars from 'handlebars';

import { flat, mdCodes, mdText, psComment, psList, psString, shComment, shString } from './escape.ts';

export { flat, mdCodes, mdText, psComment, psList, psString, shComment, shString, xmlText } from './escape.ts';

const HELPERS = {
  ps: (value: unknown) => psString(String(value)),
  psValue: (value: unknown) => (typeof value === 'number' ? String(value) : psString(String(value))),
  psList: (values: unknown) => psList((values as unknown[]).map(String)),
  psComment: (value: unknown) => psComment(String(value)),
  md: (value: unknown) => mdText(String(value)),
  mdCodes: (values: unknown) => mdCodes((values as unknown[]).map(String)),
  sh: (value: unknown) => shString(String(value)),
  shComment: (value: unknown) => shComment(String(value)),
} as const;

const handlebars = Handlebars.create();
for (const [name, helper] of Object.entries(HELPERS)) handlebars.registerHelper(name, helper);

const knownHelpers = Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true]));

export function compile<T>(source: string, partials: Record<string, string> = {}): (data: T) => string {
  const options = { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers };
  const compiledPartials = Object.fromEntries(Object.entries(partials).map(([name, text]) => [name, handlebars.compile(text, options)]));
  const template = handlebars.compile<T>(source, options);
  return (data) => flat(template(data, { partials: compiledPartials }));
}

