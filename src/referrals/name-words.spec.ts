import { nameWords } from './name-words';

describe('nameWords', () => {
  it('folds accents, tildes and case, so every spelling of a name gives the same words', () => {
    expect(nameWords('María José MUÑOZ Pérez')).toEqual(['maria', 'jose', 'munoz', 'perez']);
    expect(nameWords('maria jose munoz perez')).toEqual(['maria', 'jose', 'munoz', 'perez']);
    // Composed and decomposed forms of the same letters.
    expect(nameWords('Mari\u0301a')).toEqual(['maria']);
    expect(nameWords('Mar\u00eda')).toEqual(['maria']);
  });

  it('splits at hyphens, apostrophes and spaces, and gives each word once', () => {
    expect(nameWords("  Ana-Lucía  D'Ávila ana ")).toEqual(['ana', 'lucia', 'd', 'avila']);
  });

  it('gives nothing for a text without letters or digits', () => {
    expect(nameWords(' -- ')).toEqual([]);
  });
});
