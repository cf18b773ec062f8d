/** `about`: what this gateway is and how long it has run; a cheap field for smoke tests and uptime checks. */
import { builder } from './builder.ts';
import { loadAbout } from '../resolvers/about.ts';

const About = builder.objectRef<{ name: string; version: string; uptimeSeconds: number }>('About').implement({
  description: 'The running gateway.',
  fields: (t) => ({
    name: t.exposeString('name'),
    version: t.exposeString('version'),
    uptimeSeconds: t.exposeFloat('uptimeSeconds'),
  }),
});

builder.queryField('about', (t) => t.field({ type: About, resolve: (_root, _args, ctx) => loadAbout(ctx) }));
