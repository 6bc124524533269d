/**
 * A host incarnation's pause (SIGSTOP) keeps the callbacks that come due and runs them in order
 * at resume; a kept callback must stay cancellable by its id, before and after the resume, or a
 * timer the software cancelled while stopped fires anyway. That happened: a simulated connection
 * reset while its receiver was paused cleared a pipe whose old delivery then ran after the resume
 * and met a segment that had not arrived (chaos seed 816).
 */
import { describe, expect, it } from 'vitest';
import { Life } from './life.js';
import { Scheduler } from './scheduler.js';

function setup() {
  const scheduler = new Scheduler();
  const life = new Life(scheduler, 'h', 1);
  const ran: string[] = [];
  return { scheduler, life, ran };
}

describe('Life', () => {
  it('runs callbacks that came due while paused, in order, after resume', () => {
    const { scheduler, life, ran } = setup();
    life.pause();
    life.schedule(5, 'a', () => ran.push('a'));
    life.schedule(10, 'b', () => ran.push('b'));
    scheduler.runFor(20);
    expect(ran).toEqual([]);
    life.resume();
    scheduler.runFor(1);
    expect(ran).toEqual(['a', 'b']);
  });

  it('does not run a kept callback cancelled while paused', () => {
    const { scheduler, life, ran } = setup();
    life.pause();
    const id = life.schedule(5, 'a', () => ran.push('a'));
    life.schedule(6, 'b', () => ran.push('b'));
    scheduler.runFor(20);
    expect(id).toBeDefined();
    if (id !== undefined) life.cancel(id);
    life.resume();
    scheduler.runFor(1);
    expect(ran).toEqual(['b']);
  });

  it('does not run a kept callback cancelled after resume but before it ran', () => {
    const { scheduler, life, ran } = setup();
    life.pause();
    const id = life.schedule(5, 'a', () => ran.push('a'));
    scheduler.runFor(20);
    life.resume();
    if (id !== undefined) life.cancel(id);
    scheduler.runFor(1);
    expect(ran).toEqual([]);
  });

  it('runs nothing of a killed incarnation, kept callbacks included', () => {
    const { scheduler, life, ran } = setup();
    life.pause();
    life.schedule(5, 'a', () => ran.push('a'));
    scheduler.runFor(20);
    life.kill();
    life.resume();
    life.schedule(1, 'b', () => ran.push('b'));
    scheduler.runFor(5);
    expect(ran).toEqual([]);
  });
});
