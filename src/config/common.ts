/** Pieces the config schema's files share. */
import { z } from 'zod';

export const positiveInt = z.number().int().positive();
