/** `about`: what this gateway is and how long it has run; a cheap field for smoke tests and uptime checks. */
import type { Builder } from './builder.ts';
import { loadAbout } from '../resolvers/about.ts';

export function addAboutFields(builder: Builder): void {
  const About = builder.objectRef<ReturnType<typeof loadAbout>>('About').implement({
    description: 'The running gateway.',
    fields: (t) => ({
      name: t.exposeString('name'),
      version: t.exposeString('version'),
      uptimeSeconds: t.exposeFloat('uptimeSeconds'),
    }),
  });
  builder.queryField('about', (t) => t.field({ type: About, resolve: (_root, _args, ctx) => loadAbout(ctx) }));
}
