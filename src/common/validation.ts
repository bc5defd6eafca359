import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
import { DomainError, FieldError } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator prefixes messages with the bare property name; the path says it better.
      message: message.startsWith(`${error.property} `)
        ? `${field}${message.slice(error.property.length)}`
        : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Turns class-validator's tree into the contract's `errors: [{ field, message }]`. */
export function validationErrors(errors: ValidationError[]): FieldError[] {
  return flatten(errors).map((e) =>
    e.message.includes('should not exist')
      ? { field: e.field, message: `${e.field} is not a known field` }
      : e,
  );
}

/** The path of the first string holding a NUL character, which PostgreSQL cannot store. */
export function findNulCharacter(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const found = findNulCharacter(child, path ? `${path}.${key}` : key);
      if (found !== null) {
        return found;
      }
    }
  }
  return null;
}

/**
 * The global pipe: class-validator with the contract's error shape, and one check no DTO
 * can forget: a NUL character anywhere in a body or query string is refused with the field
 * named, instead of reaching PostgreSQL and coming back as a 500.
 */
class RefugioValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const field = findNulCharacter(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (field !== null) {
        throw DomainError.validation(
          field || 'body',
          `${field || 'body'} must not contain a NUL character`,
        );
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RefugioValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new DomainError('VALIDATION_FAILED', 'Validation failed', validationErrors(errors)),
  });
}

export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: `${String(propertyKey)} must not be blank`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0,
      },
    });
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: `${String(propertyKey)} must be a real date written YYYY-MM-DD`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{4}-\d{2}-\d{2}$/.test(value) &&
          // PostgreSQL has no year 0.
          value >= '0001-01-01' &&
          DateTime.fromISO(value, { zone: 'UTC' }).isValid,
      },
    });
}

/** An instant with an explicit offset or Z, as the contract asks (`2026-11-21T22:10:00-05:00`). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: `${String(propertyKey)} must be an ISO 8601 instant with an offset or Z`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          // Offsets exist from -12:00 to +14:00; luxon accepts +99:00, JavaScript's Date does not.
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/.test(
            value,
          ) &&
          value >= '0001' &&
          DateTime.fromISO(value, { setZone: true }).isValid &&
          !Number.isNaN(Date.parse(value)),
      },
    });
}

/**
 * An integer of a query string, written in decimal digits only. `@Type(() => Number)` read
 * `0x10` as 16, `1e1` as 10 and ` 7` as 7; here anything else stays a string and `@IsInt` refuses it.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value) ? Number(value) : value,
  );
}

/** Characters that show nothing: zero-width spaces and joiners, soft hyphens, BOMs, controls. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu;

/**
 * One spelling of an identifier a person copied from somewhere: NFKC (full-width letters become
 * ASCII), invisible characters removed, trimmed. `CF-1` and `\u200bCF-1 ` are one reference.
 */
export function normaliseIdentifier(value: string): string {
  return value.normalize('NFKC').replace(INVISIBLE, '').trim();
}

/** Applies `normaliseIdentifier` to a string property before validation; other values pass. */
export function NormalisedIdentifier(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normaliseIdentifier(value) : value,
  );
}
