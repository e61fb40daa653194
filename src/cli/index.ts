export { cliConfig, openCliDatabase } from './cli-database.js';
