/** The project mapping in force: the JSON file, typed. Workflow code imports this (the bundler inlines the JSON). */
import data from './project.mapping.json';
import type { ProjectMapping } from './types';

export const projectMapping = data as ProjectMapping;
export * from './types';
export * from './project-mapping';
