/**
 * Short posts on a few subjects, generated from templates (seeded): real texts for tests that run
 * the real embedding model through the stream processor.
 */
import type { Mulberry32 } from '../../src/core/random.js';
import type { RawRecord } from '../../src/stream/types.js';

export type Subject = { templates: string[]; fill: Record<string, string[]> };

export const SUBJECTS: Record<'garden' | 'pests' | 'baking' | 'space' | 'crypto' | 'football' | 'music' | 'cars', Subject> = {
  garden: {
    templates: ['planted {n} {plant} seedlings in the garden bed this {time}', 'my {plant} plants are flowering in the sunny garden', 'watering the {plant} and mulching the vegetable garden soil', 'harvested {plant} from the allotment, the garden is thriving'],
    fill: { plant: ['tomato', 'rose', 'basil', 'tulip', 'pepper', 'lettuce', 'courgette', 'lavender'], n: ['six', 'twelve', 'twenty', 'forty'], time: ['morning', 'weekend', 'spring', 'evening'] },
  },
  // the garden subject, half-way: its posts turn to pests (new words, same gardens)
  pests: {
    templates: ['{pest} infestation on the garden plants again, spraying insecticide', 'the {pest} ate every leaf in my garden overnight', 'found {pest} all over the garden beds, need pest control', 'garden pest alert: {pest} destroying the crops this {time}'],
    fill: { pest: ['aphids', 'slugs', 'caterpillars', 'beetles', 'snails', 'whiteflies', 'spider mites', 'weevils'], time: ['morning', 'weekend', 'spring', 'evening'] },
  },
  baking: {
    templates: ['baked a {food} with {ingredient} for dinner tonight', 'my {food} recipe needs more {ingredient} and butter', 'the oven is hot, {food} dough rising with {ingredient}', 'kneading dough for a {ingredient} {food} this {time}'],
    fill: { food: ['sourdough loaf', 'chocolate cake', 'apple pie', 'banana bread', 'croissant', 'brioche'], ingredient: ['cinnamon', 'vanilla', 'yeast', 'sugar', 'flour', 'honey'], time: ['morning', 'weekend', 'afternoon', 'evening'] },
  },
  space: {
    templates: ['the telescope captured {object} near {planet} last night', 'astronomers observed {object} orbiting {planet}', 'stargazing: {object} visible beside {planet} in the night sky', 'new images of {object} from the space telescope around {planet}'],
    fill: { object: ['a comet', 'a nebula', 'two moons', 'a galaxy', 'an asteroid', 'a meteor shower'], planet: ['Jupiter', 'Saturn', 'Mars', 'Venus', 'Neptune'] },
  },
  // a subject that was not there before
  crypto: {
    templates: ['bitcoin price fell {n} percent today, crypto traders panic', 'ethereum and {coin} rally as crypto exchanges see record volume', 'crypto market crash wipes out {n} percent of {coin} value', 'buying the dip on {coin}, blockchain tokens are volatile'],
    fill: { coin: ['dogecoin', 'solana', 'litecoin', 'cardano', 'ripple'], n: ['five', 'ten', 'twenty', 'thirty'] },
  },
  football: {
    templates: ['{team} scored {n} goals in the league match on {day}', 'the striker from {team} missed a penalty in the derby', 'great football game: {team} won the cup final after extra time', 'the goalkeeper of {team} saved every shot in the {day} fixture'],
    fill: { team: ['Arsenal', 'Liverpool', 'Juventus', 'Barcelona', 'Ajax', 'Celtic'], n: ['two', 'three', 'four', 'five'], day: ['Saturday', 'Sunday', 'midweek', 'Tuesday'] },
  },
  music: {
    templates: ['the {band} concert last night had an amazing {instrument} solo', 'listening to the new {band} album on repeat, the {instrument} riffs are great', 'learning to play {instrument} songs by {band} this {time}', 'tickets for the {band} tour sold out, the {instrument} player is legendary'],
    fill: { band: ['Radiohead', 'the Beatles', 'Metallica', 'Coldplay', 'Nirvana', 'Queen'], instrument: ['guitar', 'drum', 'piano', 'bass', 'violin'], time: ['morning', 'weekend', 'evening', 'summer'] },
  },
  cars: {
    templates: ['my {car} needs new brake pads and an oil change', 'test drove the electric {car}, the battery range is {n} miles', 'the {car} engine makes a rattling noise at the garage', 'selling my {car} with low mileage and new tyres'],
    fill: { car: ['Toyota Corolla', 'Tesla Model 3', 'Ford Focus', 'BMW 3 series', 'Honda Civic', 'VW Golf'], n: ['200', '250', '300', '350'] },
  },
};

export function posts(rng: Mulberry32, subject: keyof typeof SUBJECTS, count: number): string[] {
  const s = SUBJECTS[subject];
  return Array.from({ length: count }, (_, i) => {
    const t = s.templates[rng.nextInt(s.templates.length)]!;
    return `${t.replace(/\{(\w+)\}/g, (_m, k: string) => s.fill[k]![rng.nextInt(s.fill[k]!.length)]!)} #${i}`;
  });
}

/** Interleaves several lists (a stream where every subject keeps posting). */
export function interleave(lists: Array<{ subject: string; texts: string[] }>, rng: Mulberry32): Array<{ subject: string; text: string }> {
  const all = lists.flatMap((l) => l.texts.map((text) => ({ subject: l.subject, text, key: rng.next() })));
  return all.sort((a, b) => a.key - b.key).map(({ subject, text }) => ({ subject, text }));
}

/**
 * Feeds posts to a processor in batches of 50 (ids d0, d1, … across calls), waiting for any refit
 * after each batch; remembers each id's subject in `subjectOf`.
 */
export class SubjectFeed {
  readonly subjectOf = new Map<string, string>();
  private offset = 0;

  async feed(p: { handleBatch(records: RawRecord[]): Promise<void>; idle(): Promise<void> }, stream: Array<{ subject: string; text: string }>): Promise<void> {
    for (let i = 0; i < stream.length; i += 50) {
      const records: RawRecord[] = stream.slice(i, i + 50).map((x) => {
        const id = `d${this.offset}`;
        this.subjectOf.set(id, x.subject);
        return { topic: 'posts', partition: 0, offset: String(this.offset++), key: null, value: Buffer.from(JSON.stringify({ id, text: x.text })), timestamp: Date.now() };
      });
      await p.handleBatch(records);
      await p.idle();
    }
  }
}
