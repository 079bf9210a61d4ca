## El aviso antes de que caduque una sesión (un flujo), con la opción de tener más tiempo (WCAG 2.2.1).
## El servidor envía cada texto ya resuelto; el widget muestra la línea de tiempo restante que corresponda.

flow-expiry-warning = Tu sesión está a punto de terminar
flow-expiry-hint = Elige «Continuar» para tener más tiempo. Lo que has escrito se conserva.
flow-expiry-continue = Continuar
flow-expiry-final = Esta sesión ya no se puede ampliar. Termina antes de que caduque o vuelve a empezar después.
flow-expiry-minutes-left = { $minutes ->
    [one] Queda menos de 1 minuto.
   *[other] Quedan menos de { $minutes } minutos.
}
flow-expiry-seconds-left = { $seconds ->
    [one] Queda menos de 1 segundo.
   *[other] Quedan menos de { $seconds } segundos.
}
