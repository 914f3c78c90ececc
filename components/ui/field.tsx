import { useId, type InputHTMLAttributes, type SelectHTMLAttributes, type ReactNode } from "react";
import { cn } from "./cn";

const control =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-red-500";

type FieldProps = { label: string; errors?: string[]; hint?: ReactNode };

/** A labelled input whose errors are announced through aria-describedby. */
export function TextField({ label, errors, hint, className, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input id={id} aria-invalid={invalid} aria-describedby={`${id}-desc`} className={control} {...props} />
      <FieldDescription id={`${id}-desc`} errors={errors} hint={hint} />
    </div>
  );
}

export function SelectField({ label, errors, hint, className, children, ...props }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select id={id} aria-invalid={Boolean(errors?.length)} aria-describedby={`${id}-desc`} className={control} {...props}>
        {children}
      </select>
      <FieldDescription id={`${id}-desc`} errors={errors} hint={hint} />
    </div>
  );
}

function FieldDescription({ id, errors, hint }: { id: string; errors?: string[]; hint?: ReactNode }) {
  return (
    <div id={id} aria-live="polite" className="text-xs">
      {errors?.length ? errors.map((e) => <p key={e} className="text-red-600">{e}</p>) : hint ? <p className="text-slate-500">{hint}</p> : null}
    </div>
  );
}
