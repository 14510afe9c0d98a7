// Labelled controls with their error right next to them. An error comes from the store, keyed by
// form and field (`{ ok:false, error, field }` from a command, or a syntax check before sending).

import { createContext, memo, useContext, useId, type ReactNode } from 'react'
import { useApp } from '../store'

/** The error for `field` of `form`, if that is where the last error belongs. */
export function useFieldError(form: string, field: string | readonly string[]): string | undefined {
  return useApp((s) => {
    const e = s.errors[form]
    if (!e?.field) return undefined
    return (typeof field === 'string' ? e.field === field : field.includes(e.field)) ? e.error : undefined
  })
}

/** The form's error when it names no control this form shows (shown next to the main button). */
export function useFormLevelError(form: string, fields: readonly string[]): { error: string; field?: string } | undefined {
  return useApp((s) => {
    const e = s.errors[form]
    if (!e) return undefined
    return e.field && fields.includes(e.field) ? undefined : e
  })
}

/** Inside a FieldRow, fields leave their error to the row, which shows it full width below them. */
const RowContext = createContext<{ errorId: string } | null>(null)

/** A row of fields; the error of any of `fields` is shown right below the row, at full width. */
export function FieldRow({
  form,
  fields,
  children,
}: {
  form: string
  fields: readonly string[]
  children: ReactNode
}): ReactNode {
  const id = useId()
  const error = useApp((s) => {
    const e = s.errors[form]
    return e?.field && fields.includes(e.field) ? e : undefined
  })
  return (
    <RowContext.Provider value={{ errorId: `${id}-err` }}>
      <div className="row-block">
        <div className="row">{children}</div>
        {error?.field && <ErrorText id={`${id}-err`} field={error.field} error={error.error} />}
      </div>
    </RowContext.Provider>
  )
}

export function ErrorText({ id, field, error }: { id?: string; field: string; error?: string }): ReactNode {
  if (!error) return null
  return (
    <div className="field-error" id={id} data-testid={`error-${field}`} role="alert">
      {error}
    </div>
  )
}

/** Text in help strings: `code` between backticks. */
export function HelpText({ text, id }: { text: string; id?: string }): ReactNode {
  const parts = text.split('`')
  return (
    <div className="help" id={id}>
      {parts.map((p, i) => (i % 2 ? <code key={i}>{p}</code> : p))}
    </div>
  )
}

interface TextFieldProps {
  label: ReactNode
  value: string
  onChange(value: string): void
  form: string
  field: string
  testid: string
  placeholder?: string
  numeric?: boolean
  width?: 'xs' | 's' | 'm' | 'l' | 'full'
  help?: string
  disabled?: boolean
  suffix?: ReactNode
  autoFocus?: boolean
}

export const TextField = memo(function TextField(p: TextFieldProps): ReactNode {
  const id = useId()
  const row = useContext(RowContext)
  const error = useFieldError(p.form, p.field)
  const errorId = row ? row.errorId : `${id}-err`
  const describedBy = [error ? errorId : '', p.help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field w-${p.width ?? 'm'}`}>
      <label htmlFor={id}>{p.label}</label>
      <div className="field-row">
        <input
          id={id}
          type="text"
          inputMode={p.numeric ? 'numeric' : undefined}
          autoComplete="off"
          spellCheck={false}
          value={p.value}
          placeholder={p.placeholder}
          disabled={p.disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          data-testid={p.testid}
          autoFocus={p.autoFocus}
          onChange={(e) => p.onChange(e.target.value)}
        />
        {p.suffix}
      </div>
      {p.help && <HelpText id={`${id}-help`} text={p.help} />}
      {!row && <ErrorText id={errorId} field={p.field} error={error} />}
    </div>
  )
})

/** The props that tie a TextField to one text key of a form: its value, its setter, the field its error names. */
export type BoundField = Pick<TextFieldProps, 'value' | 'onChange' | 'form' | 'field' | 'disabled'>

/** `bind('port')` gives a TextField its value, setter and error field from one key of `values`. */
export function bindFields<K extends string>(
  values: Record<K, string>,
  set: (key: K, value: string) => void,
  form: string,
  disabled?: boolean,
): (key: K) => BoundField {
  return (key) => ({ value: values[key], onChange: (v) => set(key, v), form, field: key, disabled })
}

interface SelectFieldProps<T extends string> {
  label: ReactNode
  value: T
  options: readonly { value: T; label: string }[]
  onChange(value: T): void
  form: string
  field: string
  testid: string
  width?: 'xs' | 's' | 'm' | 'l' | 'full'
  help?: string
  disabled?: boolean
}

export function SelectField<T extends string>(p: SelectFieldProps<T>): ReactNode {
  const id = useId()
  const row = useContext(RowContext)
  const error = useFieldError(p.form, p.field)
  const errorId = row ? row.errorId : `${id}-err`
  return (
    <div className={`field w-${p.width ?? 'm'}`}>
      <label htmlFor={id}>{p.label}</label>
      <select
        id={id}
        value={p.value}
        disabled={p.disabled}
        data-testid={p.testid}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : '', p.help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined}
        onChange={(e) => p.onChange(e.target.value as T)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {p.help && <HelpText id={`${id}-help`} text={p.help} />}
      {!row && <ErrorText id={errorId} field={p.field} error={error} />}
    </div>
  )
}

interface CheckFieldProps {
  label: ReactNode
  checked: boolean
  onChange(checked: boolean): void
  form: string
  field: string
  testid: string
  help?: string
  disabled?: boolean
}

export function CheckField(p: CheckFieldProps): ReactNode {
  const id = useId()
  const error = useFieldError(p.form, p.field)
  return (
    <div className="field check">
      <div className="check-row">
        <input
          id={id}
          type="checkbox"
          checked={p.checked}
          disabled={p.disabled}
          data-testid={p.testid}
          aria-describedby={p.help ? `${id}-help` : undefined}
          onChange={(e) => p.onChange(e.target.checked)}
        />
        <label htmlFor={id}>{p.label}</label>
      </div>
      {p.help && <HelpText id={`${id}-help`} text={p.help} />}
      <ErrorText field={p.field} error={error} />
    </div>
  )
}

/** A form-level error (no control named, or one not on this form), next to the main button. */
export function FormError({ form, fields }: { form: string; fields: readonly string[] }): ReactNode {
  const e = useFormLevelError(form, fields)
  if (!e) return null
  return (
    <div className="field-error form-error" data-testid={`error-${e.field ?? 'form'}`} role="alert">
      {e.error}
    </div>
  )
}
