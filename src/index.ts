/**
 * ts-otp: Erlang/OTP's process model and supervision trees for Node.js.
 *
 * @module
 */
export * from './process/index.js';
export { InvalidArgumentError, isOtpError, NoProcError, OtpError, ProcessExit, RegisterError, type RegisterErrorReason } from './errors.js';
