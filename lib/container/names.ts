// Generated container names ("adjective_noun"), like docker's and podman's.
import { randomInt } from '../util/random.js';

const ADJECTIVES = [
  'admiring', 'agitated', 'amazing', 'bold', 'brave', 'busy', 'calm', 'clever', 'cool', 'dazzling',
  'eager', 'elated', 'epic', 'fervent', 'focused', 'friendly', 'gallant', 'gifted', 'happy', 'hopeful',
  'jolly', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'modest', 'nice', 'optimistic', 'peaceful',
  'quirky', 'relaxed', 'serene', 'sharp', 'silly', 'stoic', 'sweet', 'tender', 'upbeat', 'vibrant',
  'vigilant', 'wizardly', 'youthful', 'zealous', 'zen',
];
const NOUNS = [
  'archimedes', 'babbage', 'bohr', 'curie', 'darwin', 'dijkstra', 'einstein', 'euler', 'faraday', 'fermat',
  'feynman', 'galileo', 'gauss', 'hamilton', 'hopper', 'hypatia', 'kepler', 'knuth', 'lamport', 'lovelace',
  'maxwell', 'meitner', 'newton', 'noether', 'pascal', 'planck', 'ramanujan', 'ritchie', 'shannon', 'tesla',
  'thompson', 'torvalds', 'turing', 'wozniak', 'yonath',
];

export function randomName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
}
