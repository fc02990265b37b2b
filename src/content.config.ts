import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import {
  cheatSheetSchema,
  claimSchema,
  endpointSchema,
  errorEntrySchema,
  flowSchema,
  glossarySchema,
  standardSchema,
  workshopAgendaSchema,
  workshopExerciseSchema,
  workshopNotesSchema,
} from './data/schemas.ts';

/**
 * Pages come from `src/content/docs/`; the shared data in the top-level `content/` folder is
 * read by the same schemas the servers and tests use, so a bad data file fails the build.
 */
export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    // Every page needs a description: it is the search snippet and the social preview.
    schema: docsSchema({ extend: z.object({ description: z.string().min(30, 'describe the page in a sentence') }) }),
  }),
  flows: defineCollection({ loader: glob({ pattern: '*.yaml', base: './content/flows' }), schema: flowSchema }),
  errors: defineCollection({ loader: file('content/errors.yaml'), schema: errorEntrySchema }),
  claims: defineCollection({ loader: file('content/claims.yaml'), schema: claimSchema }),
  glossary: defineCollection({ loader: file('content/glossary.yaml'), schema: glossarySchema }),
  endpoints: defineCollection({ loader: file('content/endpoints.yaml'), schema: endpointSchema }),
  standards: defineCollection({ loader: file('content/standards.yaml'), schema: standardSchema }),
  // Workshop mode: speaker notes per flow step, exercises, and what each cheat sheet prints.
  workshopNotes: defineCollection({ loader: glob({ pattern: '*.yaml', base: './content/workshop/notes' }), schema: workshopNotesSchema }),
  workshopExercises: defineCollection({ loader: file('content/workshop/exercises.yaml'), schema: workshopExerciseSchema }),
  workshopCheatSheets: defineCollection({ loader: file('content/workshop/cheat-sheets.yaml'), schema: cheatSheetSchema }),
  workshopAgendas: defineCollection({ loader: file('content/workshop/agendas.yaml'), schema: workshopAgendaSchema }),
};
