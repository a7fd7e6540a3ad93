export { createProbe, type Probe, type ProbeOptions } from './createProbe.js';
