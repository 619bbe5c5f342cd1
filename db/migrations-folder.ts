import { projectPath } from './project-path.js';

export const migrationsFolder = projectPath('migrations');
