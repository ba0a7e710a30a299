import { describe, expect, it } from 'vitest';
import { isNavKey, moveFrom } from '../../src/grid_nav';

// 3 columns. Flat: a b c / d e. Group 1: f g h / i. Group 2: j k.
const sections = [['a', 'b', 'c', 'd', 'e'], ['f', 'g', 'h', 'i'], [], ['j', 'k']];

describe('moveFrom', () => {
  it('without groups, moves as the flat grid always did', () => {
    const flat = [['a', 'b', 'c', 'd', 'e']];
    expect(moveFrom(flat, 'b', 'ArrowDown', 3)).toBe('e');
    expect(moveFrom(flat, 'c', 'ArrowDown', 3)).toBe('e'); // the partial row's last tile
    expect(moveFrom(flat, 'e', 'ArrowDown', 3)).toBe('e');
    expect(moveFrom(flat, 'b', 'ArrowUp', 3)).toBe('a');
    expect(moveFrom(flat, 'e', 'ArrowUp', 3)).toBe('b');
  });

  it('Left/Right and Home/End run through every section in reading order', () => {
    expect(moveFrom(sections, 'e', 'ArrowRight', 3)).toBe('f');
    expect(moveFrom(sections, 'f', 'ArrowLeft', 3)).toBe('e');
    expect(moveFrom(sections, 'k', 'ArrowRight', 3)).toBe('k');
    expect(moveFrom(sections, 'a', 'ArrowLeft', 3)).toBe('a');
    expect(moveFrom(sections, 'g', 'Home', 3)).toBe('a');
    expect(moveFrom(sections, 'g', 'End', 3)).toBe('k');
  });

  it('Up/Down keep the column across a section edge and skip empty sections', () => {
    expect(moveFrom(sections, 'd', 'ArrowDown', 3)).toBe('f');
    expect(moveFrom(sections, 'e', 'ArrowDown', 3)).toBe('g');
    expect(moveFrom(sections, 'g', 'ArrowUp', 3)).toBe('e');
    expect(moveFrom(sections, 'h', 'ArrowUp', 3)).toBe('e'); // column 3 has nothing in the row above: its last tile
    expect(moveFrom(sections, 'i', 'ArrowDown', 3)).toBe('j');
    expect(moveFrom(sections, 'h', 'ArrowDown', 3)).toBe('i');
    expect(moveFrom(sections, 'j', 'ArrowUp', 3)).toBe('i');
    expect(moveFrom(sections, 'k', 'ArrowUp', 3)).toBe('i');
  });

  it('an id not shown moves nowhere; only the six keys move', () => {
    expect(moveFrom(sections, 'zz', 'ArrowDown', 3)).toBeUndefined();
    expect(isNavKey('ArrowDown')).toBe(true);
    expect(isNavKey('Enter')).toBe(false);
  });
});
